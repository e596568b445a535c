export { handleTrpcRequest as GET, handleTrpcRequest as POST } from '@/server/api/http-handler';
