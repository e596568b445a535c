export { getCampaignVehiclesCsv as GET } from '@/server/campaigns/vehicles-csv-endpoint';
