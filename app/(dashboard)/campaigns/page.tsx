import { CampaignList } from './campaign-list';

export const metadata = { title: 'Campaigns · OTA Console' };

export default function CampaignsPage() {
  return <CampaignList />;
}
