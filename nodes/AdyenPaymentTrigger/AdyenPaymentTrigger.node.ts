import { adyen } from '../providers/adyen';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class AdyenPaymentTrigger extends createPaymentTrigger([adyen], {
	name: 'adyenPaymentTrigger',
	displayName: 'Adyen Payment Trigger',
	icon: 'file:adyen.svg',
}) {}
