export { getHmiData as GET } from '@/server/vehicle-api/cdn-endpoints';
