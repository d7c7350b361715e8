/** Why an identification failed, grouped as the user sees it: the operator said no, did not answer, or none serves. */
export function failureTitle(failure: string | null): string {
  switch (failure) {
    case 'DEADLINE_EXCEEDED':
      return 'Your operator did not answer in time';
    case 'NO_OPERATOR':
      return 'No operator we work with serves this number';
    case 'SUBSCRIBER_NOT_FOUND':
    case 'NUMBER_NOT_SERVED':
    case 'SUBSCRIBER_DATA_MISSING':
    case 'REJECTED':
      return 'Your operator did not confirm you';
    default:
      return 'Identification failed';
  }
}

const RETRY = 'we check the number with an SMS code and ask the operator once more.';

/** How to get past the failure; the server's hint has already said why. */
export function failureNextStep(failure: string | null): string {
  switch (failure) {
    case 'DEADLINE_EXCEEDED':
    case 'REJECTED':
      return `Press “Try again”: ${RETRY}`;
    case 'NO_OPERATOR':
      return `Signet identifies only numbers of the operators it has an agreement with. If your number moved to one of them, press “Try again”: ${RETRY} Otherwise sign out in Settings and register another number.`;
    default:
      return `Once your operator has your details right, press “Try again”: ${RETRY}`;
  }
}

/** Why a suspended account was suspended, from the operator's termination notice. */
export function suspensionReason(reason: string | null): string {
  switch (reason) {
    case 'contract_terminated':
      return 'Your operator told us that the contract for this number ended.';
    case 'ported_out':
      return 'Your operator told us that this number moved to another operator.';
    default:
      return 'Your operator told us that this number is no longer yours under the same contract.';
  }
}
