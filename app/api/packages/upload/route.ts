export { postPackageUpload as POST } from '@/server/packages/upload-endpoint';
