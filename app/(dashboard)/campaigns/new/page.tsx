import { CampaignBuilder } from './campaign-builder';

export const metadata = { title: 'New campaign · OTA Console' };

export default function NewCampaignPage() {
  return <CampaignBuilder />;
}
