'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Button, type ButtonProps } from './button';

/** A button that asks before it acts: the dialog says what will happen. */
export function ConfirmButton({
  label,
  title,
  message,
  confirmLabel,
  onConfirm,
  variant = 'secondary',
  disabled,
  pending,
  size,
  confirmVariant,
}: {
  label: string;
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  onConfirm: () => void;
  variant?: ButtonProps['variant'];
  disabled?: boolean;
  pending?: boolean;
  size?: ButtonProps['size'];
  /** The dialog's confirming button (default: danger for a danger button, else primary). */
  confirmVariant?: ButtonProps['variant'];
}) {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  return (
    <>
      <Button variant={variant} size={size} disabled={disabled || pending} onClick={() => setOpen(true)}>
        {pending ? 'Working…' : label}
      </Button>
      <dialog ref={dialog} onClose={() => setOpen(false)} className="m-auto w-full max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40">
        <div className="p-5">
          <h3 className="text-lg font-semibold">{title}</h3>
          <div className="mt-2 text-sm text-slate-600">{message}</div>
          <div className="mt-5 flex justify-end gap-2">
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button
              variant={confirmVariant ?? (variant === 'danger' ? 'danger' : 'primary')}
              onClick={() => {
                setOpen(false);
                onConfirm();
              }}
            >
              {confirmLabel ?? label}
            </Button>
          </div>
        </div>
      </dialog>
    </>
  );
}
