import { razorpay } from '../providers/razorpay';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class RazorpayPaymentTrigger extends createPaymentTrigger([razorpay], {
	name: 'razorpayPaymentTrigger',
	displayName: 'Razorpay Payment Trigger',
	icon: 'file:razorpay.svg',
}) {}
