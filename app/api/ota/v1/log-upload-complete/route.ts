export { postLogUploadComplete as POST } from '@/server/vehicle-api/endpoints';
