export { postConfig as POST } from '@/server/vehicle-api/endpoints';
