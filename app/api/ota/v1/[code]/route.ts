// C-code aliases: POST /api/ota/v1/C_05 is POST /api/ota/v1/config, every notification code is /notification.
export { postByName as POST } from '@/server/vehicle-api/routes';
