export { getServerPublicKey as GET } from '@/server/vehicle-api/server-key';
export { notServed as POST, notServed as PUT, notServed as PATCH, notServed as DELETE } from '@/server/vehicle-api/other-methods';
