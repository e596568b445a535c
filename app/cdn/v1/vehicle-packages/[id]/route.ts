export { getVehiclePackageFile as GET, getVehiclePackageFile as HEAD } from '@/server/vehicle-api/cdn-endpoints';
export { notServed as POST, notServed as PUT, notServed as PATCH, notServed as DELETE } from '@/server/vehicle-api/other-methods';
