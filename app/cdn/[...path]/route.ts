// Anything under /cdn without its own route: a JSON 404 or 405, never an HTML page.
export { handleVehicleRequest as GET, handleVehicleRequest as POST, handleVehicleRequest as PUT, handleVehicleRequest as PATCH, handleVehicleRequest as DELETE } from '@/server/vehicle-api/routes';
