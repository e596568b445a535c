import type { ChangeEvent } from 'react';
import type { Role } from '@/db/schema/users';
import { Field, Select } from '@/app/_components/ui';
import { roleHelp, roleOptions } from './roles';

/** The role picker of the user and API token forms, with what the chosen role may do under it. */
export function RoleField({ name, value, onChange }: { name: string; value: Role; onChange: (e: ChangeEvent<HTMLSelectElement>) => void }) {
  return (
    <Field label="Role" hint={roleHelp[value]}>
      <Select name={name} value={value} onChange={onChange}>
        {roleOptions.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </Select>
    </Field>
  );
}
