export { putLogFile as PUT } from '@/server/vehicle-api/cdn-endpoints';
export { notServed as GET, notServed as POST, notServed as PATCH, notServed as DELETE } from '@/server/vehicle-api/other-methods';
