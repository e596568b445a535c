export { postCampaignValidity as POST } from '@/server/vehicle-api/endpoints';
