export { postLogUploadUrl as POST } from '@/server/vehicle-api/endpoints';
