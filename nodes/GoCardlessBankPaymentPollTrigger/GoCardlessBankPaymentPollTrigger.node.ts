import { gocardlessbank } from '../providers/gocardlessbank';
import { createPaymentPoller } from '../shared/paymentPoller';

export class GoCardlessBankPaymentPollTrigger extends createPaymentPoller(gocardlessbank, {
	name: 'goCardlessBankPaymentPollTrigger',
	displayName: 'GoCardless Bank Account Data Payment Poll Trigger',
	icon: 'file:gocardlessbank.svg',
}) {}
