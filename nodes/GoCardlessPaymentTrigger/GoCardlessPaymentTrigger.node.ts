import { gocardless } from '../providers/gocardless';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class GoCardlessPaymentTrigger extends createPaymentTrigger([gocardless], {
	name: 'goCardlessPaymentTrigger',
	displayName: 'GoCardless Payment Trigger',
	icon: 'file:gocardless.svg',
}) {}
