// Everything under /api/ota/v1 without its own route: the C-code aliases (POST /api/ota/v1/C_05
// is POST /api/ota/v1/config), and JSON 404/405 answers for anything else.
export { handleVehicleRequest as GET, handleVehicleRequest as POST, handleVehicleRequest as PUT, handleVehicleRequest as PATCH, handleVehicleRequest as DELETE } from '@/server/vehicle-api/routes';
