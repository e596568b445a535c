export { postNotification as POST } from '@/server/vehicle-api/endpoints';
