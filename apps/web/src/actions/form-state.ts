import type { FieldErrors } from '@/lib/validation';

/** Result of a form server action, rendered again by the form. */
export interface FormState {
  error?: string;
  fieldErrors?: FieldErrors;
  /** The submitted values, so the form keeps them after a failed attempt. */
  values?: Record<string, string>;
  success?: string;
}
