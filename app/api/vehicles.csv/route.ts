export { getInventoryCsv as GET } from '@/server/vehicles/inventory-csv-endpoint';
