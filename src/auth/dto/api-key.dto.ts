import { IsName } from '../../common/name.decorator';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { API_ROLES, ApiRole } from '../roles';

export class CreateApiKeyDto {
  /** What the key is for, e.g. "editor laptop" or "planning bot". */
  @IsName(100)
  name: string;

  @IsIn(API_ROLES)
  role: ApiRole;
}

export class ApiKeyDto {
  id: string;
  name: string;
  role: ApiRole;
  /** The first characters of the key. */
  keyPrefix: string;
  createdAt: Date;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  /** The key itself. Shown only in this response; store it now. */
  key: string;
}

export class WhoAmIDto {
  keyId: string;
  /** What the key may do: a console shows only the actions of its role. */
  @ApiProperty({ enum: API_ROLES })
  role: ApiRole;
}
