export { postConfigDigest as POST } from '@/server/vehicle-api/endpoints';
export { notServed as GET, notServed as PUT, notServed as PATCH, notServed as DELETE } from '@/server/vehicle-api/other-methods';
