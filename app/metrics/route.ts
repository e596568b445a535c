// `npm run dev` serves /metrics here; `npm start` from the vehicle routing table (server/vehicle-api/routes.ts).
export { getMetrics as GET } from '@/server/metrics/endpoint';
export { notServed as POST, notServed as PUT, notServed as PATCH, notServed as DELETE } from '@/server/vehicle-api/other-methods';
