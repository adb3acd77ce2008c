import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { telegram } from '../nodes/channels/telegram';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride } from './shared';

export class PaymentEventsTelegramApi implements ICredentialType {
	name = 'paymentEventsTelegramApi';

	displayName = 'Payment Events: Telegram API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://core.telegram.org/bots/api#authorizing-your-bot';

	properties: INodeProperties[] = [
		{
			displayName: 'Bot Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The token @BotFather gave the bot. Telegram takes it in the URL path, not a header.',
		},
		baseUrlOverride,
	];

	// https://core.telegram.org/bots/api#getme
	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(telegram.hosts), url: '=/bot{{$credentials.accessToken}}/getMe' },
	};
}
