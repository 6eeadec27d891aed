import type { Metadata } from 'next';

import { RegisterForm } from '@/components/account/AuthForms';

export const metadata: Metadata = { title: 'Create an account' };

export default function RegisterPage() {
  return (
    <section aria-labelledby="register-title">
      <h1 id="register-title">Create an account</h1>
      <RegisterForm />
    </section>
  );
}
