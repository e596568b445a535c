import { CampaignDetail } from './campaign-detail';

export const metadata = { title: 'Campaign · OTA Console' };

export default function CampaignPage() {
  return <CampaignDetail />;
}
