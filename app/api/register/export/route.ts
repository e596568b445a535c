export { getRegisterExport as GET } from '@/server/register/export-endpoint';
