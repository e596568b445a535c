import { handleVehicleRequest } from './routes';

// Re-exported by each vehicle route for the methods it does not serve, so that a wrong
// method gets the vehicle API's JSON 405 (with Allow) instead of Next's empty one.
export const notServed = handleVehicleRequest;
