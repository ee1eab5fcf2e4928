import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Public } from '../../auth/access.decorator';
import { WecomCallbacks } from './wecom-callbacks.service';

class SignedQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  msg_signature?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  timestamp?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  nonce?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1024)
  echostr?: string;
}

/**
 * The callback URL a company sets in WeCom's admin console for a customer-group channel
 * (`/hooks/wecom/{channelId}`, with the channel's `callbackToken` and `encodingAesKey`). WeCom
 * speaks XML and plain text here, not the API's JSON: it is left out of the OpenAPI document.
 */
@ApiExcludeController()
@Public()
@Controller('hooks/wecom')
export class WecomCallbacksController {
  constructor(private readonly callbacks: WecomCallbacks) {}

  @Get(':channelId')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  verify(@Param('channelId', new ParseUUIDPipe()) channelId: string, @Query() query: SignedQueryDto): Promise<string> {
    return this.callbacks.verifyUrl(channelId, signed(query, query.echostr ?? ''));
  }

  @Post(':channelId')
  @HttpCode(200)
  @Header('Content-Type', 'text/plain; charset=utf-8')
  async receive(
    @Param('channelId', new ParseUUIDPipe()) channelId: string,
    @Query() query: SignedQueryDto,
    @Body() body: unknown,
  ): Promise<string> {
    await this.callbacks.receive(channelId, signed(query), typeof body === 'string' ? body : '');
    return 'success';
  }
}

function signed(query: SignedQueryDto, echostr = '') {
  return {
    signature: String(query.msg_signature ?? ''),
    timestamp: String(query.timestamp ?? ''),
    nonce: String(query.nonce ?? ''),
    echostr,
  };
}
