import { paddle } from '../providers/paddle';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class PaddlePaymentTrigger extends createPaymentTrigger([paddle], {
	name: 'paddlePaymentTrigger',
	displayName: 'Paddle Payment Trigger',
	icon: 'file:paddle.svg',
}) {}
