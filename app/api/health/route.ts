export { getHealth as GET } from '@/server/health';
export { notServed as POST, notServed as PUT, notServed as PATCH, notServed as DELETE } from '@/server/vehicle-api/other-methods';
