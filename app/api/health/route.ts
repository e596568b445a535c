export { getHealth as GET } from '@/server/health';
