'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../_trpc/client';
import { Card, EmptyState, PageHeader, QueryState, Time } from '@/app/_components/ui';
import { ActiveCampaignsTable } from './active-campaigns';
import { EventsChart } from './events-chart';
import { FleetStats } from './fleet-stats';
import { RecentFailuresTable } from './recent-failures';

const REFRESH_MS = 10_000;
const live = { refetchInterval: REFRESH_MS } as const;

/** The start page: the fleet in numbers, running campaigns, the last day's events and what went wrong. */
export function Overview() {
  const trpc = useTRPC();
  const fleet = useQuery({ ...trpc.overview.fleet.queryOptions(), ...live });
  const campaigns = useQuery({ ...trpc.overview.activeCampaigns.queryOptions({ limit: 20 }), ...live });
  const hours = useQuery({ ...trpc.overview.eventsPerHour.queryOptions({ hours: 24 }), ...live });
  const failures = useQuery({ ...trpc.overview.recentFailures.queryOptions({ limit: 10 }), ...live });

  return (
    <>
      <PageHeader
        title="Overview"
        subtitle={
          <>
            Fleet, running campaigns and the last 24 hours · refreshes every 10 s
            {fleet.data ? (
              <>
                {' '}
                · as of <Time value={fleet.data.asOf} />
              </>
            ) : null}
          </>
        }
      />

      <div className="space-y-6">
        <QueryState query={fleet} loading="Counting the fleet…">
          {(data) => (
            <>
              <FleetStats fleet={data} />
              {data.registered === 0 ? (
                <EmptyState title="No vehicles registered yet">
                  Register vehicles on the Vehicles page (or start the server with AUTO_REGISTER_VEHICLES=true so that vehicles register on first contact). They show up here as they
                  poll and report.
                </EmptyState>
              ) : null}
            </>
          )}
        </QueryState>

        <Card title="Active campaigns" actions={<span className="text-xs text-slate-500">Deployed and suspended, deployed first</span>}>
          <QueryState query={campaigns} loading="Loading campaigns…">
            {(data) => <ActiveCampaignsTable data={data} />}
          </QueryState>
        </Card>

        <div className="grid gap-6 xl:grid-cols-2">
          <Card
            title="Events per hour"
            actions={hours.data ? <span className="text-xs text-slate-500">{hours.data.total.toLocaleString()} in the last 24 h</span> : null}
          >
            <QueryState
              query={hours}
              loading="Counting events…"
              isEmpty={(data) => data.total === 0}
              empty={{
                title: 'No events in the last 24 hours',
                body: (
                  <>
                    Vehicles report each step of an update here. To see it move, run the vehicle simulator against this server (here with the demo vehicle):
                    <code className="mt-2 block rounded bg-slate-100 px-2 py-1 font-mono text-xs text-slate-700">npm run vehicle -- --url {typeof window === 'undefined' ? '' : window.location.origin} --vin vinUpdate20231008</code>
                  </>
                ),
              }}
            >
              {(data) => <EventsChart buckets={data.buckets} />}
            </QueryState>
          </Card>

          <Card title="Recent failures" actions={<span className="text-xs text-slate-500">Newest first</span>}>
            <QueryState query={failures} loading="Looking for failures…">
              {(data) => <RecentFailuresTable failures={data} />}
            </QueryState>
          </Card>
        </div>
      </div>
    </>
  );
}
