import type { AccountState } from '@signet/protocol';
import { StepHeading } from '../components/step-heading';
import { AccountSection } from './account-section';
import { BlockedSection } from './blocked-section';
import { DevicesSection } from './devices-section';
import { PasswordSection } from './password-section';
import { RestrictionsSection } from './restrictions-section';
import { SessionSection } from './session-section';

export function Settings({ state }: { state: AccountState | undefined }) {
  return (
    <div className="stack">
      <StepHeading>Settings</StepHeading>
      <AccountSection state={state} />
      <PasswordSection />
      <DevicesSection />
      <BlockedSection />
      <RestrictionsSection />
      <SessionSection />
    </div>
  );
}
