import { paypal } from '../providers/paypal';
import { paypalIpn } from '../providers/paypalIpn';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class PayPalPaymentTrigger extends createPaymentTrigger([paypal, paypalIpn], {
	name: 'payPalPaymentTrigger',
	displayName: 'PayPal Payment Trigger',
	icon: 'file:paypal.svg',
}) {}
