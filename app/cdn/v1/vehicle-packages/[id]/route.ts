export { getVehiclePackageFile as GET, getVehiclePackageFile as HEAD } from '@/server/vehicle-api/cdn-endpoints';
