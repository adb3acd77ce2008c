import { plaid } from '../providers/plaid';
import { createPaymentPoller } from '../shared/paymentPoller';

export class PlaidPaymentPollTrigger extends createPaymentPoller(plaid, {
	name: 'plaidPaymentPollTrigger',
	displayName: 'Plaid Payment Poll Trigger',
	icon: 'file:plaid.svg',
}) {}
