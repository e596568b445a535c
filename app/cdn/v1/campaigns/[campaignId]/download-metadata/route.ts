export { getDownloadMetadata as GET } from '@/server/vehicle-api/cdn-endpoints';
