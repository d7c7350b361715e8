import { StepHeading } from '../components/step-heading';
import { NavLink } from '../home/nav-link';
import { NewGroupForm } from './new-group-form';
import { StartDirectForm } from './start-direct-form';

/** Starting a conversation: with one number, or a group with several. */
export function NewChat() {
  return (
    <div className="stack">
      <NavLink to="/" className="back-link back-link-narrow">
        ← All chats
      </NavLink>
      <StepHeading>New conversation</StepHeading>
      <StartDirectForm />
      <NewGroupForm />
    </div>
  );
}
