// The UI kit, one primitive a file; import from '@/app/_components/ui'.
export { Badge, type Tone } from './badge';
export { Button, ButtonLink, type ButtonProps } from './button';
export { Card } from './card';
export { ConfirmButton } from './confirm-button';
export { cx } from './cx';
export { DataTable, type Column, type Columns, type Paging } from './data-table';
export { Field } from './field';
export { FormError } from './form-error';
export { Input, Select, Textarea } from './inputs';
export { PageHeader } from './page-header';
export { Pager } from './pager';
export { ProgressBar } from './progress-bar';
export { QueryState, type Empty } from './query-state';
export { Stat } from './stat';
export { ActionOutcome, EmptyState, ErrorState, LoadingState } from './states';
export { CampaignStatusBadge, PhaseBadge } from './status-badges';
export { Table, Td, Th } from './table';
export { Time, relativeTime } from './time';
