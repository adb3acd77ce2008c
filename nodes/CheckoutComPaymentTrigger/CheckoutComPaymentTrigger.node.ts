import { checkoutcom } from '../providers/checkoutcom';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class CheckoutComPaymentTrigger extends createPaymentTrigger([checkoutcom], {
	name: 'checkoutComPaymentTrigger',
	displayName: 'Checkout.com Payment Trigger',
	icon: 'file:checkoutcom.svg',
}) {}
