export { postConfigDigest as POST } from '@/server/vehicle-api/endpoints';
