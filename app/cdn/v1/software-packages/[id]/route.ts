export { getSoftwarePackageFile as GET, getSoftwarePackageFile as HEAD } from '@/server/vehicle-api/cdn-endpoints';
