import { worldpay } from '../providers/worldpay';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class WorldpayPaymentTrigger extends createPaymentTrigger([worldpay], {
	name: 'worldpayPaymentTrigger',
	displayName: 'Worldpay Payment Trigger',
	icon: 'file:worldpay.svg',
}) {}
