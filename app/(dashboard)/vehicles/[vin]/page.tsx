import { VehicleDetail } from './vehicle-detail';

export default function VehiclePage() {
  return <VehicleDetail />;
}
