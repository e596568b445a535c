export { postAction as POST } from '@/server/vehicle-api/endpoints';
