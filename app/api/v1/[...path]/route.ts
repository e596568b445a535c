// The REST management API: every operation of the table in server/rest/routes.ts.
export { handleRestRequest as GET, handleRestRequest as POST, handleRestRequest as PUT, handleRestRequest as DELETE, handleRestRequest as PATCH } from '@/server/rest/handle-request';
