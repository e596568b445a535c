export { postCommand as POST } from '@/server/vehicle-api/endpoints';
