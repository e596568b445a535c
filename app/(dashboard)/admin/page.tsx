import { UsersPanel } from './_components/users-panel';

export default function AdminUsersPage() {
  return <UsersPanel />;
}
