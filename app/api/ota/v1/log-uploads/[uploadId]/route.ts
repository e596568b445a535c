export { putLogFile as PUT } from '@/server/vehicle-api/cdn-endpoints';
