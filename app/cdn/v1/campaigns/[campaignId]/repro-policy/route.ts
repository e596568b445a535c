export { getReproPolicy as GET } from '@/server/vehicle-api/cdn-endpoints';
